/* placeholder */
typedef int rlab_placeholder_bench;
