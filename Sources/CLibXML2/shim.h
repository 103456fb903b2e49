#ifndef NEWSBOT_CLIBXML2_SHIM_H
#define NEWSBOT_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU; its ICU headers clash with Foundation's copy
 * ("UErrorCode has different definitions"). xmlversion.h is what defines
 * LIBXML_ICU_ENABLED, so include it first and undefine the macro afterwards: encoding.h
 * then skips <unicode/ucnv.h>. Only the tail of xmlCharEncodingHandler (two ICU pointers)
 * changes, and Swift never touches that struct's fields. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/xmlmemory.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects as shared mutable state. */
static inline void newsbot_xml_free(void *ptr) { xmlFree(ptr); }
#endif
