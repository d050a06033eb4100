/* schema.c - not written yet */
#include "schema.h"
