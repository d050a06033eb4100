/* frontmatter.c - not written yet */
#include "frontmatter.h"
