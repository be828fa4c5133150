/* SPDX-License-Identifier: MIT */
/* One row of an SMS_Image* class built by property name (row.c). */
#ifndef SMSPROV_IMAGE_ROW_H
#define SMSPROV_IMAGE_ROW_H

#include "provider/provider.h"

typedef struct image_row {
    cim_instance *inst;
    smsprov_error *err;
    int rc; /* first failure */
} image_row;

int image_row_new(image_row *r, provider *p, const char *cls,
                  smsprov_error *err);
void image_row_int(image_row *r, const char *prop, int64_t v);
void image_row_str(image_row *r, const char *prop, const char *s);
void image_row_bool(image_row *r, const char *prop, bool b);
void image_row_time(image_row *r, const char *prop, int64_t us);
/* Writes the row (create or modify by its keys) and frees it. */
int image_row_put(image_row *r, provider *p);
void image_row_free(image_row *r);

#endif
