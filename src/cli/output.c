/* SPDX-License-Identifier: MIT */
/*
 * Output writers for query rows and instances: table (laid out at the end),
 * JSON (an array, streamed), CSV (RFC 4180) and MOF ("instance of").
 */
#include <string.h>

#include "cli/cli.h"

#define TABLE_MAX_ROWS 100000 /* rows kept for layout; more -> use csv */
#define TABLE_CELL_MAX 60     /* characters shown per cell */

struct cli_writer {
    provider *p;       /* for __PATH */
    cli_format fmt;    /* output format */
    FILE *f;           /* destination */
    bool system_props; /* JSON: add __CLASS/__RELPATH/__PATH */
    long rows;         /* rows written */
    bool header_done;  /* CSV header / table header */
    char **cells;      /* table: rows*ncols cell strings */
    uint32_t ncols;    /* table: columns */
    char **heads;      /* table: column titles */
    size_t ncells;     /* table: cells used */
    size_t ccells;     /* table: cells allocated */
    bool truncated;    /* table: rows dropped past TABLE_MAX_ROWS */
    bool discard;      /* an error happened: print no summary */
};

int cli_writer_new(cli_writer **out, provider *p, cli_format fmt, FILE *f,
                   bool system_props)
{
    cli_writer *w = util_calloc(1, sizeof(*w));
    if (w == NULL)
        return SMSPROV_ENOMEM;
    w->p = p;
    w->fmt = fmt;
    w->f = f;
    w->system_props = system_props;
    *out = w;
    return 0;
}

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static char *value_text(const cim_value *v)
{
    util_buf b = UTIL_BUF_INIT(1 << 24);
    if (v != NULL)
        cim_value_to_text(&b, v);
    return util_buf_detach(&b);
}

static void table_push(cli_writer *w, char *cell)
{
    if (w->ncells == w->ccells) {
        size_t n = w->ccells ? w->ccells * 2 : 256;
        char **c = util_realloc(w->cells, n * sizeof(char *));
        if (c == NULL) {
            util_free(cell);
            return;
        }
        w->cells = c;
        w->ccells = n;
    }
    w->cells[w->ncells++] = cell;
}

static const char *col_title(const wql_plan *plan, const wql_outcol *oc,
                             char *buf, size_t n)
{
    if (!plan->nested)
        return oc->prop->name;
    snprintf(buf, n, "%s.%s", plan->parts[oc->part].name, oc->prop->name);
    return buf;
}

static void set_heads(cli_writer *w, const wql_plan *plan)
{
    char tmp[512];
    w->ncols = 0;
    w->heads = util_calloc(plan->ncols + 1, sizeof(char *));
    if (w->heads == NULL)
        return;
    if (plan->is_count) {
        w->heads[w->ncols++] = util_strdup(plan->count_name);
        return;
    }
    for (uint32_t i = 0; i < plan->ncols; i++)
        if (!plan->cols[i].implicit)
            w->heads[w->ncols++] =
                util_strdup(col_title(plan, &plan->cols[i], tmp, sizeof(tmp)));
}

static json_t *row_json(cli_writer *w, const wql_plan *plan,
                        cim_instance **parts)
{
    json_t *o = json_object();
    for (uint32_t i = 0; i < plan->ncols; i++) {
        const wql_outcol *oc = &plan->cols[i];
        if (oc->implicit)
            continue;
        json_t *dst = o;
        if (plan->nested) {
            const char *pn = plan->parts[oc->part].name;
            dst = json_object_get(o, pn);
            if (dst == NULL) {
                dst = parts[oc->part] ? json_object() : json_null();
                json_object_set_new(o, pn, dst);
            }
            if (parts[oc->part] == NULL)
                continue;
        }
        const cim_value *v = cim_instance_get(parts[oc->part], oc->prop->index);
        cim_value none = cim_value_null(oc->prop->type, oc->prop->is_array);
        json_object_set_new(dst, oc->prop->name,
                            provider_value_to_json(v ? v : &none, false));
    }
    if (w->system_props && !plan->nested && parts[0]) {
        provider_json_opts opts = {true, false};
        json_t *sys = provider_instance_to_json(w->p, parts[0], &opts);
        const char *names[] = {"__CLASS", "__RELPATH", "__PATH"};
        for (int k = 0; k < 3; k++) {
            json_t *v = json_object_get(sys, names[k]);
            if (v)
                json_object_set(o, names[k], v);
        }
        json_decref(sys);
    }
    return o;
}

static void json_emit(cli_writer *w, json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputs(w->rows == 0 ? "[\n" : ",\n", w->f);
    if (s)
        fputs(s, w->f);
    util_free(s);
    json_decref(o);
}

static void mof_instance(cli_writer *w, const cim_instance *inst,
                         const wql_plan *plan, uint32_t part)
{
    fprintf(w->f, "instance of %s\n{\n", inst->cls->name);
    for (uint32_t i = 0; i < inst->cls->nprops; i++) {
        const cim_property *p = &inst->cls->props[i];
        if (!inst->present[i])
            continue;
        if (plan) {
            bool shown = false;
            for (uint32_t k = 0; k < plan->ncols; k++)
                shown |= plan->cols[k].part == part &&
                         plan->cols[k].prop == p && !plan->cols[k].implicit;
            if (!shown)
                continue;
        }
        const cim_value *v = &inst->values[i];
        char *t = value_text(v);
        bool quote = p->type == CIM_STRING || p->type == CIM_DATETIME ||
                     p->type == CIM_CHAR16 || p->type == CIM_REFERENCE;
        if (v->is_null)
            fprintf(w->f, "\t%s = NULL;\n", p->name);
        else if (quote && !v->is_array)
            fprintf(w->f, "\t%s = \"%s\";\n", p->name, t);
        else
            fprintf(w->f, "\t%s = %s;\n", p->name, t);
        util_free(t);
    }
    fputs("};\n\n", w->f);
}

bool cli_writer_started(const cli_writer *w)
{
    return w->header_done;
}

void cli_writer_header(cli_writer *w, const wql_plan *plan)
{
    if (w->header_done)
        return;
    w->header_done = true;
    set_heads(w, plan);
    if (w->fmt == CLI_FMT_CSV) {
        for (uint32_t i = 0; i < w->ncols; i++) {
            if (i)
                fputc(',', w->f);
            csv_field(w->f, w->heads[i]);
        }
        fputc('\n', w->f);
    }
}

int cli_writer_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *writer)
{
    cli_writer *w = writer;
    char tmp[512];
    cli_writer_header(w, plan);
    if (plan->is_count) {
        if (w->fmt == CLI_FMT_JSON) {
            json_t *o = json_object();
            json_object_set_new(o, plan->count_name, json_integer(count));
            json_emit(w, o);
        } else if (w->fmt == CLI_FMT_TABLE) {
            snprintf(tmp, sizeof(tmp), "%lld", (long long)count);
            table_push(w, util_strdup(tmp));
        } else if (w->fmt == CLI_FMT_MOF) {
            fprintf(w->f, "instance of __Generic\n{\n\t%s = %lld;\n};\n\n",
                    plan->count_name, (long long)count);
        } else {
            fprintf(w->f, "%lld\n", (long long)count);
        }
        w->rows++;
        return 0;
    }
    switch (w->fmt) {
    case CLI_FMT_JSON:
        json_emit(w, row_json(w, plan, parts));
        break;
    case CLI_FMT_MOF:
        for (uint32_t i = 0; i < plan->nparts; i++)
            if (parts[i])
                mof_instance(w, parts[i], plan, i);
        break;
    default: {
        bool first = true;
        if (w->fmt == CLI_FMT_TABLE && w->rows >= TABLE_MAX_ROWS) {
            w->truncated = true;
            break;
        }
        for (uint32_t i = 0; i < plan->ncols; i++) {
            const wql_outcol *oc = &plan->cols[i];
            if (oc->implicit)
                continue;
            const cim_value *v =
                parts[oc->part]
                    ? cim_instance_get(parts[oc->part], oc->prop->index)
                    : NULL;
            char *t = value_text(v);
            if (w->fmt == CLI_FMT_TABLE) {
                table_push(w, t);
                continue;
            }
            if (!first)
                fputc(',', w->f);
            first = false;
            csv_field(w->f, t);
            util_free(t);
        }
        if (w->fmt == CLI_FMT_CSV)
            fputc('\n', w->f);
    }
    }
    w->rows++;
    return 0;
}

int cli_writer_instance(cli_writer *w, const cim_instance *inst)
{
    if (w->fmt == CLI_FMT_JSON) {
        provider_json_opts opts = {w->system_props, false};
        json_emit(w, provider_instance_to_json(w->p, inst, &opts));
    } else if (w->fmt == CLI_FMT_MOF) {
        mof_instance(w, inst, NULL, 0);
    } else {
        /* one "Name : value" line per property, like Format-List */
        for (uint32_t i = 0; i < inst->cls->nprops; i++) {
            if (!inst->present[i])
                continue;
            char *t = value_text(&inst->values[i]);
            if (w->fmt == CLI_FMT_CSV) {
                csv_field(w->f, inst->cls->props[i].name);
                fputc(',', w->f);
                csv_field(w->f, t);
                fputc('\n', w->f);
            } else {
                fprintf(w->f, "%-34s : %s\n", inst->cls->props[i].name, t);
            }
            util_free(t);
        }
        if (w->fmt == CLI_FMT_TABLE && w->system_props) {
            util_buf b = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
            cim_path_format_full(&b, provider_server(w->p),
                                 provider_namespace(w->p), inst);
            fprintf(w->f, "%-34s : %s\n", "__PATH", util_buf_cstr(&b));
            util_buf_free(&b);
        }
        fputc('\n', w->f);
    }
    w->rows++;
    return 0;
}

static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void print_cell(FILE *f, const char *s, size_t w, bool last)
{
    size_t n = width(s);
    if (n > TABLE_CELL_MAX) {
        /* cut at a character boundary and mark it */
        size_t chars = 0, i = 0;
        for (; s[i] && chars < TABLE_CELL_MAX - 3; i++)
            chars += ((unsigned char)s[i] & 0xC0) != 0x80;
        while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        fprintf(f, "%.*s...", (int)i, s);
        n = TABLE_CELL_MAX;
    } else {
        fputs(s, f);
    }
    if (!last)
        for (; n < w + 2; n++)
            fputc(' ', f);
}

static void table_flush(cli_writer *w)
{
    if (w->ncols == 0 || w->heads == NULL)
        return;
    size_t *wd = util_calloc(w->ncols, sizeof(size_t));
    if (wd == NULL)
        return;
    for (uint32_t c = 0; c < w->ncols; c++)
        wd[c] = width(w->heads[c]);
    for (size_t i = 0; i < w->ncells; i++) {
        size_t n = width(w->cells[i]);
        size_t c = i % w->ncols;
        if (n > TABLE_CELL_MAX)
            n = TABLE_CELL_MAX;
        if (n > wd[c])
            wd[c] = n;
    }
    for (uint32_t c = 0; c < w->ncols; c++)
        print_cell(w->f, w->heads[c], wd[c], c + 1 == w->ncols);
    fputc('\n', w->f);
    for (uint32_t c = 0; c < w->ncols; c++) {
        for (size_t k = 0; k < wd[c]; k++)
            fputc('-', w->f);
        if (c + 1 < w->ncols)
            fputs("  ", w->f);
    }
    fputc('\n', w->f);
    for (size_t i = 0; i < w->ncells; i++) {
        size_t c = i % w->ncols;
        print_cell(w->f, w->cells[i], wd[c], c + 1 == w->ncols);
        if (c + 1 == w->ncols)
            fputc('\n', w->f);
    }
    util_free(wd);
}

void cli_writer_discard(cli_writer *w)
{
    if (w != NULL)
        w->discard = true;
}

void cli_writer_finish(cli_writer *w)
{
    if (w == NULL)
        return;
    if (w->discard)
        w->fmt = CLI_FMT_CSV; /* print nothing more */
    if (w->fmt == CLI_FMT_JSON && (!w->discard || w->rows > 0))
        fputs(w->rows == 0 ? "[]\n" : "\n]\n", w->f);
    else if (w->fmt == CLI_FMT_TABLE && w->header_done)
        table_flush(w);
    if (w->truncated)
        fprintf(stderr,
                "smsprov: table output stops at %d rows; use "
                "--format csv or json for all\n",
                TABLE_MAX_ROWS);
    if (w->fmt == CLI_FMT_TABLE && (w->header_done || w->rows == 0))
        fprintf(w->f, "%s(%ld row%s)\n", w->header_done ? "\n" : "", w->rows,
                w->rows == 1 ? "" : "s");
    for (size_t i = 0; i < w->ncells; i++)
        util_free(w->cells[i]);
    for (uint32_t i = 0; w->heads && i < w->ncols; i++)
        util_free(w->heads[i]);
    util_free(w->heads);
    util_free(w->cells);
    fflush(w->f);
    util_free(w);
}
