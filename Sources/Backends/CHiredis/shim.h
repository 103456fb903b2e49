#ifndef NEWSBOT_CHIREDIS_SHIM_H
#define NEWSBOT_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
