/* placeholder */
typedef int rlab_placeholder_keyfile;
