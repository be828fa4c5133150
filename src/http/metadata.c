/* SPDX-License-Identifier: MIT */
/*
 * The service document and the $metadata CSDL, generated from the class
 * registry: namespace AdminService, one EntityType and EntitySet per class
 * named as the class, keys, the WMI system properties, bound actions for
 * instance methods and action imports <Class>.<Method> for static ones.
 */
#include <string.h>

#include "http/http_int.h"

/* Classes that are entity sets: stored or queryable, not embedded. */
static bool is_entity_set(const cim_class *c)
{
    return !(c->flags & CIM_C_EMBEDDED) && c->name[0] != '_';
}

char *http_service_value(const cim_schema *s, bool v1)
{
    util_buf b = UTIL_BUF_INIT(HTTP_MAX_RESULT);
    util_buf_putc(&b, '[');
    for (uint32_t i = 0; !v1 && i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        if (!is_entity_set(c) || c->nkeys == 0)
            continue;
        util_buf_printf(&b,
                        "%s{\"name\":\"%s\",\"kind\":\"EntitySet\","
                        "\"url\":\"%s\"}",
                        b.len > 1 ? "," : "", c->name, c->name);
    }
    util_buf_putc(&b, ']');
    if (b.failed) {
        util_buf_free(&b);
        return NULL;
    }
    return util_buf_detach(&b);
}

/* The Edm type of a property or parameter. */
static void edm_type(util_buf *b, const cim_property *p)
{
    const char *t;
    if (p->is_array && p->type == CIM_UINT8) {
        util_buf_puts(b, "Edm.Binary");
        return;
    }
    switch (p->type) {
    case CIM_BOOLEAN:
        t = "Edm.Boolean";
        break;
    case CIM_SINT8:
        t = "Edm.SByte";
        break;
    case CIM_UINT8:
        t = "Edm.Byte";
        break;
    case CIM_SINT16:
        t = "Edm.Int16";
        break;
    case CIM_UINT16:
    case CIM_SINT32:
        t = "Edm.Int32";
        break;
    case CIM_UINT32:
    case CIM_SINT64:
    case CIM_UINT64:
        t = "Edm.Int64";
        break;
    case CIM_REAL32:
        t = "Edm.Single";
        break;
    case CIM_REAL64:
        t = "Edm.Double";
        break;
    case CIM_DATETIME:
        t = "Edm.DateTimeOffset";
        break;
    case CIM_OBJECT:
        t = NULL;
        break;
    default:
        t = "Edm.String";
    }
    if (p->is_array)
        util_buf_puts(b, "Collection(");
    if (t)
        util_buf_puts(b, t);
    else
        util_buf_printf(b, "AdminService.%s",
                        p->ref_class ? p->ref_class : "SMS_BaseClass");
    if (p->is_array)
        util_buf_putc(b, ')');
}

static void prop_xml(util_buf *b, const cim_property *p)
{
    util_buf_printf(b, "<Property Name=\"%s\" Type=\"", p->name);
    edm_type(b, p);
    util_buf_printf(b, "\"%s/>",
                    (p->flags & CIM_P_NOT_NULL) ? " Nullable=\"false\"" : "");
}

static void system_props(util_buf *b)
{
    static const char *const sys[][2] = {
        {"__GENUS", "Edm.Int32"},
        {"__CLASS", "Edm.String"},
        {"__SUPERCLASS", "Edm.String"},
        {"__DYNASTY", "Edm.String"},
        {"__RELPATH", "Edm.String"},
        {"__PROPERTY_COUNT", "Edm.Int32"},
        {"__DERIVATION", "Collection(Edm.String)"},
        {"__SERVER", "Edm.String"},
        {"__NAMESPACE", "Edm.String"},
        {"__PATH", "Edm.String"},
        {"__LAZYPROPERTIES", "Collection(Edm.String)"},
        {"__QUALIFIER_SECURITYVERBS", "Edm.Int32"},
    };
    for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
        util_buf_printf(b, "<Property Name=\"%s\" Type=\"%s\"/>", sys[i][0],
                        sys[i][1]);
}

static void method_xml(util_buf *b, const cim_class *c, const cim_method *m)
{
    if (m->is_static)
        util_buf_printf(b, "<Action Name=\"%s.%s\">", c->name, m->name);
    else
        util_buf_printf(b,
                        "<Action Name=\"%s\" IsBound=\"true\"><Parameter "
                        "Name=\"bindingParameter\" Type=\"AdminService.%s\"/>",
                        m->name, c->name);
    for (uint32_t i = 0; i < m->nparams; i++) {
        const cim_property *pp = &m->params[i];
        if (!(pp->flags & CIM_P_IN))
            continue;
        util_buf_printf(b, "<Parameter Name=\"%s\" Type=\"", pp->name);
        edm_type(b, pp);
        util_buf_puts(b, "\"/>");
    }
    util_buf_puts(b, "<ReturnType Type=\"Edm.Int32\"/></Action>");
}

char *http_metadata_csdl(const cim_schema *s, bool v1)
{
    util_buf b = UTIL_BUF_INIT(HTTP_MAX_RESULT);
    util_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                      "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://"
                      "docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>"
                      "<Schema Namespace=\"AdminService\" xmlns=\"http://"
                      "docs.oasis-open.org/odata/ns/edm\">");
    for (uint32_t i = 0; !v1 && i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        bool entity = c->nkeys > 0 && is_entity_set(c);
        util_buf_printf(
            &b, "<%s Name=\"%s\"%s>", entity ? "EntityType" : "ComplexType",
            c->name, (c->flags & CIM_C_ABSTRACT) ? " Abstract=\"true\"" : "");
        if (entity) {
            util_buf_puts(&b, "<Key>");
            for (uint32_t k = 0; k < c->nkeys; k++)
                util_buf_printf(&b, "<PropertyRef Name=\"%s\"/>",
                                c->props[c->keys[k]].name);
            util_buf_puts(&b, "</Key>");
        }
        system_props(&b);
        for (uint32_t k = 0; k < c->nprops; k++)
            prop_xml(&b, &c->props[k]);
        util_buf_printf(&b, "</%s>", entity ? "EntityType" : "ComplexType");
    }
    for (uint32_t i = 0; !v1 && i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        for (uint32_t m = 0; m < c->nmethods; m++)
            if (c->methods[m].origin == c || c->methods[m].origin == NULL)
                method_xml(&b, c, &c->methods[m]);
    }
    util_buf_puts(&b, "<EntityContainer Name=\"Container\">");
    for (uint32_t i = 0; !v1 && i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        if (c->nkeys > 0 && is_entity_set(c))
            util_buf_printf(&b,
                            "<EntitySet Name=\"%s\" "
                            "EntityType=\"AdminService.%s\"/>",
                            c->name, c->name);
        for (uint32_t m = 0; m < c->nmethods; m++)
            if (c->methods[m].is_static && c->methods[m].origin == c)
                util_buf_printf(&b,
                                "<ActionImport Name=\"%s.%s\" "
                                "Action=\"AdminService.%s.%s\"/>",
                                c->name, c->methods[m].name, c->name,
                                c->methods[m].name);
    }
    util_buf_puts(&b, "</EntityContainer></Schema></edmx:DataServices>"
                      "</edmx:Edmx>");
    if (b.failed) {
        util_buf_free(&b);
        return NULL;
    }
    return util_buf_detach(&b);
}
