/* policy.c - not written yet */
#include "policy.h"
