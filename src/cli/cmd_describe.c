/* SPDX-License-Identifier: MIT */
/*
 * smsprov describe: a class as the registry holds it: superclass,
 * qualifiers, properties (type, qualifiers, default) and methods.
 */
#include <string.h>

#include "cli/cli.h"

static json_t *quals_json(const cim_qualifier *q, uint32_t n)
{
    json_t *o = json_object();
    for (uint32_t i = 0; i < n; i++)
        json_object_set_new(o, q[i].name,
                            provider_value_to_json(&q[i].value, false));
    return o;
}

static json_t *prop_json(const cim_property *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "type", json_string(cim_type_name(p->type)));
    json_object_set_new(o, "array", json_boolean(p->is_array));
    if (p->ref_class)
        json_object_set_new(o, "class", json_string(p->ref_class));
    json_object_set_new(o, "qualifiers", quals_json(p->quals, p->nquals));
    if (p->has_default)
        json_object_set_new(o, "default",
                            provider_value_to_json(&p->def, false));
    if (p->origin)
        json_object_set_new(o, "origin", json_string(p->origin->name));
    return o;
}

static json_t *class_json(const cim_class *c)
{
    json_t *o = json_object(), *props = json_array(), *meths = json_array();
    json_t *keys = json_array();
    json_object_set_new(o, "name", json_string(c->name));
    json_object_set_new(o, "superclass",
                        c->parent ? json_string(c->parent->name) : json_null());
    json_object_set_new(o, "qualifiers", quals_json(c->quals, c->nquals));
    for (uint32_t k = 0; k < c->nkeys; k++)
        json_array_append_new(keys, json_string(c->props[c->keys[k]].name));
    json_object_set_new(o, "keys", keys);
    for (uint32_t i = 0; i < c->nprops; i++)
        json_array_append_new(props, prop_json(&c->props[i]));
    json_object_set_new(o, "properties", props);
    for (uint32_t i = 0; i < c->nmethods; i++) {
        const cim_method *m = &c->methods[i];
        json_t *mo = json_object(), *params = json_array();
        json_object_set_new(mo, "name", json_string(m->name));
        json_object_set_new(mo, "returns",
                            json_string(cim_type_name(m->return_type)));
        json_object_set_new(mo, "static", json_boolean(m->is_static));
        for (uint32_t k = 0; k < m->nparams; k++)
            json_array_append_new(params, prop_json(&m->params[k]));
        json_object_set_new(mo, "parameters", params);
        json_object_set_new(mo, "qualifiers", quals_json(m->quals, m->nquals));
        json_array_append_new(meths, mo);
    }
    json_object_set_new(o, "methods", meths);
    return o;
}

static void print_quals(const cim_qualifier *q, uint32_t n)
{
    util_buf b = UTIL_BUF_INIT(1 << 16);
    for (uint32_t i = 0; i < n; i++) {
        util_buf_puts(&b, i ? ", " : "[");
        util_buf_puts(&b, q[i].name);
        if (!(q[i].value.type == CIM_BOOLEAN && !q[i].value.is_array &&
              q[i].value.v.b)) {
            util_buf_putc(&b, '(');
            cim_value_to_text(&b, &q[i].value);
            util_buf_putc(&b, ')');
        }
    }
    if (n)
        util_buf_puts(&b, "] ");
    fputs(util_buf_cstr(&b), stdout);
    util_buf_free(&b);
}

static void print_class(const cim_class *c)
{
    print_quals(c->quals, c->nquals);
    printf("class %s%s%s\n{\n", c->name, c->parent ? " : " : "",
           c->parent ? c->parent->name : "");
    for (uint32_t i = 0; i < c->nprops; i++) {
        const cim_property *p = &c->props[i];
        printf("    ");
        print_quals(p->quals, p->nquals);
        printf("%s %s%s", p->ref_class ? p->ref_class : cim_type_name(p->type),
               p->name, p->is_array ? "[]" : "");
        if (p->has_default) {
            util_buf b = UTIL_BUF_INIT(1 << 16);
            cim_value_to_text(&b, &p->def);
            printf(" = %s", util_buf_cstr(&b));
            util_buf_free(&b);
        }
        printf(";\n");
    }
    for (uint32_t i = 0; i < c->nmethods; i++) {
        const cim_method *m = &c->methods[i];
        printf("    ");
        print_quals(m->quals, m->nquals);
        printf("%s %s(", cim_type_name(m->return_type), m->name);
        for (uint32_t k = 0; k < m->nparams; k++) {
            const cim_property *p = &m->params[k];
            printf("%s", k ? ", " : "");
            print_quals(p->quals, p->nquals);
            printf("%s %s%s",
                   p->ref_class ? p->ref_class : cim_type_name(p->type),
                   p->name, p->is_array ? "[]" : "");
        }
        printf(");\n");
    }
    printf("};\n");
}

int cmd_describe(const cli_globals *g, int argc, char **argv)
{
    const char *name = NULL;
    bool json = false;
    provider *p = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            printf("usage: smsprov --db PATH describe [--format json] CLASS\n\n"
                   "Shows a class as the registry holds it (inherited\n"
                   "properties included). 'describe --list' lists classes.\n");
            return CLI_OK;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            json = strcmp(argv[++i], "json") == 0;
        } else if (name == NULL) {
            name = argv[i];
        } else {
            return CLI_EINPUT;
        }
    }
    if (name == NULL) {
        fprintf(stderr, "usage: smsprov --db PATH describe [--format json] "
                        "CLASS\n");
        return CLI_EINPUT;
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    const cim_schema *s = provider_schema(p);
    if (strcmp(name, "--list") == 0) {
        for (uint32_t i = 0; i < s->nclasses; i++)
            printf("%s\n", s->classes[i]->name);
        provider_close(p);
        return CLI_OK;
    }
    const cim_class *c = cim_schema_class(s, name, strlen(name));
    if (c == NULL) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        const char *hint = cim_schema_nearest(s, name);
        util_error_set(&err, SMSPROV_EINVALID_CLASS, -1,
                       "unknown class '%s'%s%s%s", name,
                       hint ? " (did you mean '" : "", hint ? hint : "",
                       hint ? "'?)" : "");
        provider_close(p);
        return cli_report(&err, NULL, 0);
    }
    if (json) {
        json_t *o = class_json(c);
        char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (t)
            printf("%s\n", t);
        util_free(t);
        json_decref(o);
    } else {
        print_class(c);
    }
    provider_close(p);
    return CLI_OK;
}
