/* SPDX-License-Identifier: MIT */
/*
 * The one place that sets up a libcurl download (sum_curl.h): catalog
 * sync and update content share its protocols, limits and error text.
 */
#include <pthread.h>

#include "sum/sum_curl.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

CURL *sum_curl_get(const char *url, FILE *out, char *ebuf, const char *agent)
{
    pthread_once(&curl_once, curl_init);
    CURL *c = curl_easy_init();
    if (c == NULL)
        return NULL;
    ebuf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SUM_CURL_CONNECT_TIMEOUT);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, SUM_CURL_LOW_SPEED_SECS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, agent);
    return c;
}
