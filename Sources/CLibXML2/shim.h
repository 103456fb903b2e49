#ifndef NEWSBOT_CLIBXML2_SHIM_H
#define NEWSBOT_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU; its ICU headers clash with Foundation's copy. */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects as shared mutable state. */
static inline void newsbot_xml_free(void *ptr) { xmlFree(ptr); }
#endif
