/* revision.c - not written yet */
#include "revision.h"
