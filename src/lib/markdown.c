/* markdown.c - not written yet */
#include "markdown.h"
