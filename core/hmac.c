/* placeholder */
typedef int rlab_placeholder_hmac;
