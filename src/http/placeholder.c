typedef int smsprov_http_placeholder;
