/* numbering.c - not written yet */
#include "numbering.h"
