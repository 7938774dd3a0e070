#ifndef GRAYCTL_CCURLSHIM_H
#define GRAYCTL_CCURLSHIM_H
/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic: Swift cannot call them.
   One typed wrapper per argument kind. */
#include <curl/curl.h>
#include <sys/types.h>
/* The curl loop waits on an epoll set and is woken through an eventfd (Glibc's module has neither). */
#include <sys/epoll.h>
#include <sys/eventfd.h>

CURLcode grayctl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode grayctl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode grayctl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode grayctl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode grayctl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode grayctl_easy_setopt_write_callback(CURL *handle, CURLoption option,
                                            size_t (*callback)(char *, size_t, size_t, void *));
CURLcode grayctl_easy_setopt_xferinfo_callback(CURL *handle,
                                               int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t));
CURLcode grayctl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode grayctl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLMcode grayctl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);
/* CURLMOPT_SOCKETFUNCTION + CURLMOPT_SOCKETDATA, and CURLMOPT_TIMERFUNCTION + CURLMOPT_TIMERDATA. */
CURLMcode grayctl_multi_set_socket_callback(CURLM *handle,
                                            int (*callback)(CURL *, curl_socket_t, int, void *, void *),
                                            void *data);
CURLMcode grayctl_multi_set_timer_callback(CURLM *handle, int (*callback)(CURLM *, long, void *), void *data);

/* Makes `handle` refuse to open a socket: it can only reuse a kept connection. Each refusal adds 1
   to *refusals (the attempt then fails with CURLE_COULDNT_CONNECT, sending nothing on a new
   connection). On failure nothing is installed. curl_easy_reset removes it. */
CURLcode grayctl_easy_reuse_only(CURL *handle, int *refusals);

/* A share object holding a connection cache of its own: easy handles given it (CURLOPT_SHARE)
   keep and reuse their connections there, apart from the multi handle's. Used from one thread
   only (no lock callbacks). NULL when curl cannot make one. */
CURLSH *grayctl_share_connections(void);

/* Feature bits of the libcurl this process linked, for start-up checks. */
int grayctl_curl_has_http2(void);
int grayctl_curl_has_ssl(void);
#endif
