/* SPDX-License-Identifier: MIT */
/*
 * libcurl as every smsprov download uses it (sync.c): catalog downloads
 * and, from src/image, update content.
 */
#ifndef SMSPROV_SUM_CURL_H
#define SMSPROV_SUM_CURL_H

#include <curl/curl.h>
#include <stdio.h>

#define SUM_CURL_CONNECT_TIMEOUT 30L /* s */
#define SUM_CURL_LOW_SPEED_SECS 120L /* abort below 1 byte/s for this long */

/*
 * A new easy handle that GETs url into out: http(s) only (redirects too),
 * redirects followed, HTTP errors as failures, no signals, the error text
 * in ebuf (CURL_ERROR_SIZE bytes), the connect and low-speed limits above,
 * User-Agent `agent`.  Initialises libcurl once.  NULL when out of memory.
 */
CURL *sum_curl_get(const char *url, FILE *out, char *ebuf, const char *agent);

#endif
