/* SPDX-License-Identifier: MIT */
/*
 * mof: reads MOF text (a DMTF MOF subset, as the ConfigMgr SDK pages write
 * their class syntax) into a cim_schema, the registry that drives storage,
 * validation and serialization.
 */
#ifndef SMSPROV_MOF_H
#define SMSPROV_MOF_H

#include "cim/cim.h"

#define MOF_MAX_TEXT (16 * 1024 * 1024) /* bytes of one MOF file */
#define MOF_MAX_DEPTH 32                /* nesting of { } and ( ) */
#define MOF_MAX_CLASSES 4096            /* classes in one schema */
#define MOF_MAX_MEMBERS 1024            /* properties+methods per class */

/* Creates an empty schema (its own arena). */
int mof_schema_new(cim_schema **out, smsprov_error *err);

/*
 * Parses one MOF text and adds its classes to `s`.  `file` names the text in
 * errors, which are SMSPROV_EINVALID_SYNTAX with err->file, err->line and
 * err->col set (file:line:col).  A class declared twice is an error.  On
 * error the schema may hold some of the text's classes: discard it.
 */
int mof_parse(cim_schema *s, const char *file, const char *text, size_t len,
              smsprov_error *err);

/*
 * Resolves superclasses and embedded-object types (forward references
 * across files are fine), flattens inherited properties and methods
 * (a redeclared property replaces the inherited one in place), computes
 * keys (sorted by name), subclass lists and the name index.  Unknown
 * classes and inheritance cycles are SMSPROV_EINVALID_SYNTAX naming the
 * file:line of the reference.
 */
int mof_schema_finalize(cim_schema *s, smsprov_error *err);

/* Loads every *.mof of a directory in name order and finalizes. */
int mof_load_dir(cim_schema **out, const char *dir, smsprov_error *err);

#endif
