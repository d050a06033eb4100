/* date.c - not written yet */
#include "date.h"
