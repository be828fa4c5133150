/* SPDX-License-Identifier: MIT */
/*
 * Error object and error codes of the smsprov C API.
 *
 * Every fallible function takes a caller-owned smsprov_error as its last
 * argument and returns 0 or a negative SMSPROV_E* code.  The codes are
 * append-only: never renumber or reuse one (mark retired ones _OBSOLETE).
 */
#ifndef SMSPROV_ERROR_H
#define SMSPROV_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#define SMSPROV_EXTERN __attribute__((visibility("default")))

/** Error codes; each maps to one WMI name and one HTTP status. */
typedef enum smsprov_code {
    SMSPROV_OK = 0,
    SMSPROV_EINTERNAL = -1,             /**< WBEM_E_FAILED */
    SMSPROV_ENOMEM = -2,                /**< WBEM_E_OUT_OF_MEMORY */
    SMSPROV_EINVALID_QUERY = -3,        /**< WBEM_E_INVALID_QUERY */
    SMSPROV_EINVALID_CLASS = -4,        /**< WBEM_E_INVALID_CLASS */
    SMSPROV_EINVALID_PROPERTY = -5,     /**< WBEM_E_INVALID_PROPERTY */
    SMSPROV_ETYPE_MISMATCH = -6,        /**< WBEM_E_TYPE_MISMATCH */
    SMSPROV_ENOTFOUND = -7,             /**< WBEM_E_NOT_FOUND */
    SMSPROV_EEXISTS = -8,               /**< WBEM_E_ALREADY_EXISTS */
    SMSPROV_EINVALID_PARAMETER = -9,    /**< WBEM_E_INVALID_PARAMETER */
    SMSPROV_EACCESS = -10,              /**< WBEM_E_ACCESS_DENIED */
    SMSPROV_EINVALID_SYNTAX = -11,      /**< WBEM_E_INVALID_SYNTAX (MOF) */
    SMSPROV_EIO = -12,                  /**< WBEM_E_FAILED, I/O or database */
    SMSPROV_ENOTSUPPORTED = -13,        /**< WBEM_E_NOT_SUPPORTED */
    SMSPROV_EINVALID_OBJECT_PATH = -14, /**< WBEM_E_INVALID_OBJECT_PATH */
    SMSPROV_EREAD_ONLY = -15,           /**< WBEM_E_READ_ONLY */
    SMSPROV_EILLEGAL_NULL = -16,        /**< WBEM_E_ILLEGAL_NULL */
    SMSPROV_EOUT_OF_RANGE = -17,        /**< WBEM_E_VALUE_OUT_OF_RANGE */
    SMSPROV_EINVALID_METHOD = -18,      /**< WBEM_E_INVALID_METHOD */
    SMSPROV_ETOOBIG = -19,              /**< WBEM_E_QUOTA_VIOLATION */
    SMSPROV_EINVALID_OPERATION = -20,   /**< WBEM_E_INVALID_OPERATION */
} smsprov_code;

#define SMSPROV_ERROR_MSG_MAX 512
#define SMSPROV_ERROR_OBJECT_MAX 128

/**
 * A positioned error.  The message lives in a fixed buffer so that reporting
 * out-of-memory needs no allocation.  `offset` is a byte offset into the input
 * that was being parsed (-1 when there is none); `line` and `col` are 1-based
 * and filled in when the error is located (0 when unknown).
 */
typedef struct smsprov_error {
    int code;                              /**< SMSPROV_E*, 0 if no error */
    int offset;                            /**< byte offset in input or -1 */
    int line;                              /**< 1-based line, 0 unknown */
    int col;                               /**< 1-based column (UTF-8 chars) */
    char object[SMSPROV_ERROR_OBJECT_MAX]; /**< class/property at fault */
    char file[SMSPROV_ERROR_OBJECT_MAX];   /**< input file name, "" if none */
    char msg[SMSPROV_ERROR_MSG_MAX];       /**< one-line human message */
} smsprov_error;

#define SMSPROV_ERROR_INIT                                                     \
    {                                                                          \
        0, -1, 0, 0, "", "", ""                                                \
    }

/** @return the WMI error name for a code, e.g. "WBEM_E_NOT_FOUND". */
SMSPROV_EXTERN const char *smsprov_code_wbem_name(int code);
/** @return the WMI HRESULT for a code, e.g. 0x80041002. */
SMSPROV_EXTERN unsigned int smsprov_code_hresult(int code);
/** @return the HTTP status the AdminService answers for a code. */
SMSPROV_EXTERN int smsprov_code_http_status(int code);
/** @return a one-line description of a code. */
SMSPROV_EXTERN const char *smsprov_code_doc(int code);

#ifdef __cplusplus
}
#endif
#endif
