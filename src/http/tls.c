/* SPDX-License-Identifier: MIT */
/*
 * TLS material: loads the PEM certificate and key given with --cert/--key,
 * or on first start generates a self-signed ECDSA P-256 certificate with
 * GnuTLS and stores it next to the database (<db>.cert.pem, <db>.key.pem,
 * mode 0600), as the real site uses its own self-signed certificate.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "http/http_int.h"

#define TLS_MAX_PEM (1024 * 1024)
#define TLS_VALID_DAYS 3650

static char *read_pem(const char *path, smsprov_error *err)
{
    FILE *f = fopen(path, "rb");
    util_buf b = UTIL_BUF_INIT(TLS_MAX_PEM);
    char chunk[4096];
    size_t n;
    if (f == NULL) {
        util_error_set(err, SMSPROV_EIO, -1, "cannot open %s: %s", path,
                       strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        util_buf_append(&b, chunk, n);
    fclose(f);
    if (b.failed || b.len == 0) {
        util_buf_free(&b);
        util_error_set(err, SMSPROV_EIO, -1, "cannot read %s", path);
        return NULL;
    }
    return util_buf_detach(&b);
}

static int write_file(const char *path, const void *data, size_t n, int mode,
                      smsprov_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return util_error_set(err, SMSPROV_EIO, -1, "cannot create %s: %s",
                              path, strerror(errno));
    ssize_t w = write(fd, data, n);
    close(fd);
    if (w < 0 || (size_t)w != n)
        return util_error_set(err, SMSPROV_EIO, -1, "cannot write %s", path);
    return 0;
}

/* Generates the key and self-signed certificate for host names. */
static int generate(char **cert, char **key, smsprov_error *err)
{
    gnutls_x509_privkey_t pk = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t c = {NULL, 0}, k = {NULL, 0};
    unsigned char serial[16];
    char host[256] = "localhost";
    int rc = 0;
    gethostname(host, sizeof(host) - 1);
    if (gnutls_x509_privkey_init(&pk) < 0 ||
        gnutls_x509_privkey_generate(
            pk, GNUTLS_PK_ECDSA,
            GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
        gnutls_x509_crt_init(&crt) < 0 ||
        gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)) < 0) {
        rc = util_error_set(err, SMSPROV_EINTERNAL, -1,
                            "cannot generate a TLS key");
        goto out;
    }
    serial[0] &= 0x7f;
    time_t now = time(NULL);
    if (gnutls_x509_crt_set_version(crt, 3) < 0 ||
        gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)) < 0 ||
        gnutls_x509_crt_set_activation_time(crt, now - 3600) < 0 ||
        gnutls_x509_crt_set_expiration_time(crt, now + (time_t)TLS_VALID_DAYS *
                                                           86400) < 0 ||
        gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, host,
                                      (unsigned)strlen(host)) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, host,
                                             (unsigned)strlen(host),
                                             GNUTLS_FSAN_APPEND) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(
            crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
                                             "\x7f\x00\x00\x01", 4,
                                             GNUTLS_FSAN_APPEND) < 0 ||
        gnutls_x509_crt_set_key(crt, pk) < 0 ||
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
        gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0) <
            0 ||
        gnutls_x509_crt_sign2(crt, crt, pk, GNUTLS_DIG_SHA256, 0) < 0 ||
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &c) < 0 ||
        gnutls_x509_privkey_export2(pk, GNUTLS_X509_FMT_PEM, &k) < 0) {
        rc = util_error_set(err, SMSPROV_EINTERNAL, -1,
                            "cannot build the self-signed certificate");
        goto out;
    }
    *cert = util_strndup((const char *)c.data, c.size);
    *key = util_strndup((const char *)k.data, k.size);
    if (*cert == NULL || *key == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
out:
    gnutls_free(c.data);
    if (k.data)
        memset(k.data, 0, k.size);
    gnutls_free(k.data);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (pk)
        gnutls_x509_privkey_deinit(pk);
    return rc;
}

int http_tls_load(char **cert, char **key, const char *cert_path,
                  const char *key_path, const char *db, smsprov_error *err)
{
    char cp[4096], kp[4096];
    *cert = *key = NULL;
    if (cert_path || key_path) {
        if (!cert_path || !key_path)
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "--cert and --key go together");
        *cert = read_pem(cert_path, err);
        *key = *cert ? read_pem(key_path, err) : NULL;
        if (*key == NULL) {
            util_free(*cert);
            *cert = NULL;
            return err->code ? err->code : SMSPROV_EIO;
        }
        return 0;
    }
    snprintf(cp, sizeof(cp), "%s.cert.pem", db);
    snprintf(kp, sizeof(kp), "%s.key.pem", db);
    if (access(cp, R_OK) == 0 && access(kp, R_OK) == 0)
        return http_tls_load(cert, key, cp, kp, NULL, err);
    int rc = generate(cert, key, err);
    if (rc == 0)
        rc = write_file(kp, *key, strlen(*key), 0600, err);
    if (rc == 0)
        rc = write_file(cp, *cert, strlen(*cert), 0644, err);
    if (rc != 0) {
        util_free(*cert);
        util_free(*key);
        *cert = *key = NULL;
    } else {
        fprintf(stderr,
                "smsprov serve: generated a self-signed certificate: "
                "%s\n",
                cp);
    }
    return rc;
}
