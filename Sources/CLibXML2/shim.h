// libxml2's HTML parser and tree API for Swift.
#include <libxml/xmlversion.h>
// libxml2 can include the system's ICU headers, which clash with the ICU that Foundation carries; nothing here
// needs them (the parser is only handed UTF-8), so they stay out.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/// Frees memory libxml2 allocated (xmlFree is a global function pointer, which Swift sees as shared state).
static inline void parley_xml_free(void *pointer) { xmlFree(pointer); }
