#ifndef GRAYCTL_CCURL_SHIM_H
#define GRAYCTL_CCURL_SHIM_H
#include <curl/curl.h>
#endif
