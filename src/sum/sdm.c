/* SPDX-License-Identifier: MIT */
/*
 * SDMPackageXML and ApplicabilityCondition of an update.  The digest uses
 * the element and attribute names public scripts confirm
 * (DesiredConfigurationDigest, SoftwareUpdate / SoftwareUpdateBundle with
 * AuthoringScopeId, LogicalName "SUM_<guid>", Version; Annotation;
 * SupersededUpdates and Updates of SoftwareUpdateReference;
 * ConfigurationMetadata/Provider/Operation[@Name='Install']/Content/
 * FileContent/SourceURL); see shared FORMAT.md section 4 and
 * docs/catalog.md.  Everything else in a real digest is left out.
 */
#include <string.h>

#include "sum/sum_int.h"

#define SDM_NS                                                                 \
    "http://schemas.microsoft.com/SystemsCenterConfigurationManager/"          \
    "2009/07/10/DesiredConfiguration"
#define SDM_RULES_NS                                                           \
    "http://schemas.microsoft.com/SystemsCenterConfigurationManager/"          \
    "2009/06/14/Rules"
#define APPL_MAX 512 /* ApplicabilityCondition SizeLimit */

static void refs(util_buf *b, const char *scope, const char *elem,
                 const sum_strv *v)
{
    if (v->n == 0)
        return;
    util_buf_printf(b, "<%s>", elem);
    for (uint32_t i = 0; i < v->n; i++)
        util_buf_printf(b,
                        "<SoftwareUpdateReference AuthoringScopeId=\"Site_%s\" "
                        "LogicalName=\"SUM_%s\"/>",
                        scope, v->v[i]);
    util_buf_printf(b, "</%s>", elem);
}

int sum_sdm_xml(util_buf *out, const char *site_guid, const sum_update *u,
                const char *title, const char *desc)
{
    const char *el = u->is_bundle ? "SoftwareUpdateBundle" : "SoftwareUpdate";
    util_buf_reset(out);
    util_buf_printf(out,
                    "<DesiredConfigurationDigest xmlns=\"" SDM_NS "\">"
                    "<%s AuthoringScopeId=\"Site_%s\" LogicalName=\"SUM_%s\" "
                    "Version=\"%u\">",
                    el, site_guid, u->uid, u->revnum);
    util_buf_puts(out, "<Annotation xmlns=\"" SDM_RULES_NS "\">"
                       "<DisplayName Text=\"");
    util_buf_xml_escape(out, title);
    util_buf_puts(out, "\"/><Description Text=\"");
    util_buf_xml_escape(out, desc);
    util_buf_puts(out, "\"/></Annotation>");
    if (u->is_bundle)
        refs(out, site_guid, "Updates", &u->bundles);
    refs(out, site_guid, "SupersededUpdates", &u->supersedes);
    util_buf_printf(out, "<ConfigurationMetadata SmsUniqueIdentity=\"%s\">",
                    u->uid);
    if (u->nfiles > 0) {
        util_buf_printf(out,
                        "<Provider><Operation Name=\"Install\">"
                        "<Content ContentId=\"%s\" Version=\"%u\">",
                        u->uid, u->revnum);
        for (uint32_t i = 0; i < u->nfiles; i++) {
            const sum_file *f = &u->files[i];
            util_buf_puts(out, "<FileContent Name=\"");
            util_buf_xml_escape(out, f->name);
            util_buf_printf(out, "\" Size=\"%lld\"><SourceURL>",
                            (long long)(f->size > 0 ? f->size : 0));
            util_buf_xml_escape(out, f->url);
            util_buf_puts(out, "</SourceURL></FileContent>");
        }
        util_buf_puts(out, "</Content></Operation></Provider>");
    }
    util_buf_printf(out,
                    "</ConfigurationMetadata></%s>"
                    "</DesiredConfigurationDigest>",
                    el);
    return out->failed;
}

int sum_applicability(util_buf *out, const sum_update *u)
{
    /* ours: the prerequisite UpdateIDs an applicable client must have,
     * "AND"-joined, cut at a whole id to fit SizeLimit 512 */
    util_buf_reset(out);
    for (uint32_t i = 0; i < u->prereqs.n; i++) {
        size_t need = strlen(u->prereqs.v[i]) + (i ? 5 : 0);
        if (out->len + need > APPL_MAX)
            break;
        if (i)
            util_buf_puts(out, " AND ");
        util_buf_puts(out, u->prereqs.v[i]);
    }
    if (out->data == NULL)
        util_buf_puts(out, "");
    return out->failed;
}
