/* yaml_load.c - not written yet */
#include "yaml_load.h"
