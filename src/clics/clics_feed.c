#include "clics_feed.h"
