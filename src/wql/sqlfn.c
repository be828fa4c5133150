/* SPDX-License-Identifier: MIT */
/*
 * SQL building blocks of the planner: parameters, WQL LIKE patterns (with
 * [abc] classes, turned into a case-folded GLOB when needed) and the
 * SQL Server date functions over UTC-microsecond columns.
 */
#include <string.h>

#include "wql/plan_int.h"

int wql_param_push(plan_ctx *c, const cim_value *v)
{
    if (c->nparams == c->cparams) {
        uint32_t n = c->cparams ? c->cparams * 2 : 16;
        cim_value *p = util_arena_alloc(c->a, sizeof(cim_value) * n);
        if (p == NULL)
            return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
        if (c->nparams)
            memcpy(p, c->params, sizeof(cim_value) * c->nparams);
        c->params = p;
        c->cparams = n;
    }
    c->params[c->nparams++] = *v;
    return util_buf_putc(&c->sql, '?');
}

int wql_emit_oid(plan_ctx *c, const bind_from *f)
{
    if (c->dialect == WQL_DIALECT_POSTGRES)
        return util_buf_printf(&c->sql, "%s.__oid", f->sql_alias);
    return util_buf_printf(&c->sql, "%s.rowid", f->sql_alias);
}

static const struct {
    const char *name;  /* spelling accepted (any case) */
    wql_datepart part; /* meaning */
} dateparts[] = {
    {"yy", WQL_DP_YEAR},       {"yyyy", WQL_DP_YEAR},
    {"year", WQL_DP_YEAR},     {"qq", WQL_DP_QUARTER},
    {"q", WQL_DP_QUARTER},     {"quarter", WQL_DP_QUARTER},
    {"mm", WQL_DP_MONTH},      {"m", WQL_DP_MONTH},
    {"month", WQL_DP_MONTH},   {"dy", WQL_DP_DAYOFYEAR},
    {"y", WQL_DP_DAYOFYEAR},   {"dayofyear", WQL_DP_DAYOFYEAR},
    {"dd", WQL_DP_DAY},        {"d", WQL_DP_DAY},
    {"day", WQL_DP_DAY},       {"wk", WQL_DP_WEEK},
    {"ww", WQL_DP_WEEK},       {"week", WQL_DP_WEEK},
    {"dw", WQL_DP_WEEKDAY},    {"weekday", WQL_DP_WEEKDAY},
    {"hh", WQL_DP_HOUR},       {"hour", WQL_DP_HOUR},
    {"mi", WQL_DP_MINUTE},     {"n", WQL_DP_MINUTE},
    {"minute", WQL_DP_MINUTE}, {"ss", WQL_DP_SECOND},
    {"s", WQL_DP_SECOND},      {"second", WQL_DP_SECOND},
    {"ms", WQL_DP_MS},         {"millisecond", WQL_DP_MS},
};

wql_datepart wql_datepart_lookup(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof(dateparts) / sizeof(dateparts[0]); i++)
        if (util_streq_slice(dateparts[i].name, name, n))
            return dateparts[i].part;
    return WQL_DP_NONE;
}

/* Microseconds in a fixed-length date part, 0 for calendar parts. */
static int64_t part_us(wql_datepart p)
{
    switch (p) {
    case WQL_DP_MS:
        return 1000LL;
    case WQL_DP_SECOND:
        return 1000000LL;
    case WQL_DP_MINUTE:
        return 60000000LL;
    case WQL_DP_HOUR:
        return 3600000000LL;
    case WQL_DP_DAY:
    case WQL_DP_DAYOFYEAR:
    case WQL_DP_WEEKDAY:
        return 86400000000LL;
    case WQL_DP_WEEK:
        return 7 * 86400000000LL;
    default:
        return 0;
    }
}

static int emit_arg(plan_ctx *c, wql_node *n)
{
    util_buf_putc(&c->sql, '(');
    int rc = wql_emit_expr(c, n);
    util_buf_putc(&c->sql, ')');
    return rc;
}

/* strftime field of a microsecond expression, as an integer. */
static int emit_field(plan_ctx *c, const char *fmt, wql_node *x)
{
    util_buf_printf(&c->sql, "CAST(strftime('%s', ", fmt);
    int rc = emit_arg(c, x);
    util_buf_puts(&c->sql, " / 1000000, 'unixepoch') AS INTEGER)");
    return rc;
}

/* floor(x / unit) for possibly negative x. */
static int emit_floor_div(plan_ctx *c, wql_node *x, int64_t unit, int64_t shift)
{
    /* ((x + shift) - (((x + shift) % u) + u) % u) / u */
    int rc = 0;
    util_buf_puts(&c->sql, "((");
    rc |= emit_arg(c, x);
    util_buf_printf(&c->sql, " + %lld - (((", (long long)shift);
    rc |= emit_arg(c, x);
    util_buf_printf(&c->sql, " + %lld) %% %lld) + %lld) %% %lld) / %lld)",
                    (long long)shift, (long long)unit, (long long)unit,
                    (long long)unit, (long long)unit);
    return rc;
}

static int emit_datepart(plan_ctx *c, wql_datepart p, wql_node *x)
{
    switch (p) {
    case WQL_DP_YEAR:
        return emit_field(c, "%Y", x);
    case WQL_DP_MONTH:
        return emit_field(c, "%m", x);
    case WQL_DP_DAY:
        return emit_field(c, "%d", x);
    case WQL_DP_DAYOFYEAR:
        return emit_field(c, "%j", x);
    case WQL_DP_HOUR:
        return emit_field(c, "%H", x);
    case WQL_DP_MINUTE:
        return emit_field(c, "%M", x);
    case WQL_DP_SECOND:
        return emit_field(c, "%S", x);
    case WQL_DP_WEEKDAY: /* SQL Server: 1 = Sunday */
        util_buf_putc(&c->sql, '(');
        emit_field(c, "%w", x);
        return util_buf_puts(&c->sql, " + 1)");
    case WQL_DP_WEEK: /* week of year, Sunday-based, Jan 1 in week 1 */
        util_buf_putc(&c->sql, '(');
        emit_field(c, "%U", x);
        return util_buf_puts(&c->sql, " + 1)");
    case WQL_DP_QUARTER:
        util_buf_puts(&c->sql, "((");
        emit_field(c, "%m", x);
        return util_buf_puts(&c->sql, " - 1) / 3 + 1)");
    case WQL_DP_MS:
        util_buf_puts(&c->sql, "((");
        emit_arg(c, x);
        return util_buf_puts(&c->sql, " / 1000) % 1000)");
    default:
        return SMSPROV_EINTERNAL;
    }
}

/* Calendar months since year 0 of a microsecond expression. */
static int emit_months(plan_ctx *c, wql_node *x)
{
    util_buf_puts(&c->sql, "(");
    emit_field(c, "%Y", x);
    util_buf_puts(&c->sql, " * 12 + ");
    emit_field(c, "%m", x);
    return util_buf_puts(&c->sql, " - 1)");
}

int wql_emit_datefn(plan_ctx *c, wql_func f, wql_datepart part, wql_node **args)
{
    int64_t unit = part_us(part);
    if (f == WQL_F_DATEPART)
        return emit_datepart(c, part, args[1]);
    if (f == WQL_F_DATEADD) {
        if (unit != 0) {
            util_buf_putc(&c->sql, '(');
            emit_arg(c, args[2]);
            util_buf_puts(&c->sql, " + ");
            emit_arg(c, args[1]);
            return util_buf_printf(&c->sql, " * %lld)", (long long)unit);
        }
        /* months, quarters, years: calendar arithmetic */
        const char *mult = part == WQL_DP_QUARTER ? " * 3" : "";
        const char *what = part == WQL_DP_YEAR ? " years" : " months";
        util_buf_puts(&c->sql, "(CAST(strftime('%s', ");
        emit_arg(c, args[2]);
        util_buf_puts(&c->sql, " / 1000000, 'unixepoch', (");
        emit_arg(c, args[1]);
        util_buf_printf(&c->sql, "%s) || '%s') AS INTEGER) * 1000000 + ", mult,
                        what);
        emit_arg(c, args[2]);
        return util_buf_puts(&c->sql, " % 1000000)");
    }
    /* DATEDIFF: boundaries crossed from args[1] to args[2] */
    util_buf_putc(&c->sql, '(');
    if (part == WQL_DP_YEAR) {
        emit_field(c, "%Y", args[2]);
        util_buf_puts(&c->sql, " - ");
        emit_field(c, "%Y", args[1]);
    } else if (part == WQL_DP_MONTH || part == WQL_DP_QUARTER) {
        const char *q = part == WQL_DP_QUARTER ? " / 3" : "";
        util_buf_puts(&c->sql, "(");
        emit_months(c, args[2]);
        util_buf_printf(&c->sql, "%s) - (", q);
        emit_months(c, args[1]);
        util_buf_printf(&c->sql, "%s)", q);
    } else {
        /* weeks start on Sunday: 1970-01-01 was a Thursday */
        int64_t shift = part == WQL_DP_WEEK ? 4 * 86400000000LL : 0;
        emit_floor_div(c, args[2], unit, shift);
        util_buf_puts(&c->sql, " - ");
        emit_floor_div(c, args[1], unit, shift);
    }
    return util_buf_putc(&c->sql, ')');
}

static bool is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static char flip_case(char ch)
{
    return (char)(ch ^ 0x20);
}

/*
 * Writes the pattern as a parameter.  Without [...] classes it is a plain
 * SQL LIKE pattern (SQLite's LIKE is case-blind for ASCII).  With classes
 * it becomes a GLOB pattern with both cases of each letter, and *glob is
 * set so the caller writes GLOB instead of LIKE.
 */
int wql_emit_like_pattern(plan_ctx *c, const char *pat, size_t n, bool *glob)
{
    cim_value v;
    *glob = memchr(pat, '[', n) != NULL;
    if (!*glob) {
        v = cim_value_str(CIM_STRING, util_arena_strndup(c->a, pat, n));
        return wql_param_push(c, &v);
    }
    util_buf g = UTIL_BUF_INIT(WQL_MAX_TEXT * 8);
    for (size_t i = 0; i < n; i++) {
        char ch = pat[i];
        if (ch == '%') {
            util_buf_putc(&g, '*');
        } else if (ch == '_') {
            util_buf_putc(&g, '?');
        } else if (ch == '[') {
            size_t j = i + 1;
            util_buf_putc(&g, '[');
            if (j < n && pat[j] == '^')
                util_buf_putc(&g, pat[j++]);
            size_t body = j;
            while (j < n && (pat[j] != ']' || j == body)) {
                char k = pat[j];
                if (j + 2 < n && pat[j + 1] == '-' && pat[j + 2] != ']') {
                    char hi = pat[j + 2];
                    util_buf_printf(&g, "%c-%c", k, hi);
                    if (is_alpha(k) && is_alpha(hi))
                        util_buf_printf(&g, "%c-%c", flip_case(k),
                                        flip_case(hi));
                    j += 3;
                    continue;
                }
                util_buf_putc(&g, k);
                if (is_alpha(k))
                    util_buf_putc(&g, flip_case(k));
                j++;
            }
            if (j >= n) { /* no closing bracket: a literal '[' */
                util_buf_free(&g);
                return util_error_set(c->err, SMSPROV_EINVALID_QUERY, -1,
                                      "unterminated '[' in LIKE pattern");
            }
            util_buf_putc(&g, ']');
            i = j;
        } else if (ch == '*' || ch == '?') {
            util_buf_printf(&g, "[%c]", ch);
        } else if (is_alpha(ch)) {
            util_buf_printf(&g, "[%c%c]", ch, flip_case(ch));
        } else {
            util_buf_putc(&g, ch);
        }
    }
    if (g.failed) {
        int rc = g.failed;
        util_buf_free(&g);
        return util_error_set(c->err, rc, -1, "LIKE pattern too long");
    }
    v = cim_value_str(CIM_STRING, util_arena_strdup(c->a, util_buf_cstr(&g)));
    util_buf_free(&g);
    return wql_param_push(c, &v);
}

static int lower(int ch)
{
    return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

/* Backtracking matcher on '%'; fine for the short patterns WQL sees. */
bool wql_like_match(const char *pat, size_t plen, const char *s, size_t slen)
{
    size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;
    while (i < slen) {
        if (p < plen && pat[p] == '%') {
            star_p = ++p;
            star_i = i;
            continue;
        }
        if (p < plen && pat[p] == '[') {
            size_t j = p + 1;
            bool neg = j < plen && pat[j] == '^';
            bool hit = false;
            if (neg)
                j++;
            size_t body = j;
            while (j < plen && (pat[j] != ']' || j == body)) {
                if (j + 2 < plen && pat[j + 1] == '-' && pat[j + 2] != ']') {
                    int lo = lower((unsigned char)pat[j]);
                    int hi = lower((unsigned char)pat[j + 2]);
                    int ch = lower((unsigned char)s[i]);
                    hit |= ch >= lo && ch <= hi;
                    j += 3;
                } else {
                    hit |= lower((unsigned char)pat[j]) ==
                           lower((unsigned char)s[i]);
                    j++;
                }
            }
            if (j < plen && hit != neg) {
                p = j + 1;
                i++;
                continue;
            }
        } else if (p < plen &&
                   (pat[p] == '_' || lower((unsigned char)pat[p]) ==
                                         lower((unsigned char)s[i]))) {
            p++;
            i++;
            continue;
        }
        if (star_p == (size_t)-1)
            return false;
        p = star_p;
        i = ++star_i;
    }
    while (p < plen && pat[p] == '%')
        p++;
    return p == plen;
}
