/* SPDX-License-Identifier: MIT */
/*
 * libxml2 streaming readers as every smsprov parser opens them (xml.c):
 * nothing printed to stderr, the first error captured for a positioned
 * smsprov_error.  Used by the catalog readers and by src/image.
 */
#ifndef SMSPROV_SUM_XML_H
#define SMSPROV_SUM_XML_H

#include <libxml/xmlreader.h>
#include <stdbool.h>
#include <stddef.h>

/* The first parser error of a reader. */
typedef struct sum_xml_errbox {
    bool set;
    int line, col;
    char msg[200];
} sum_xml_errbox;

/* Initialises libxml2 and silences its generic error output for the
 * calling thread (per thread in libxml2 2.9: call before each parse). */
void sum_xml_init(void);

/* A reader over buf (encoding NULL: from the document) whose first error
 * lands in box; NULL when out of memory. */
xmlTextReaderPtr sum_xml_reader(const char *buf, size_t len,
                                const char *encoding, int options,
                                sum_xml_errbox *box);

#endif
