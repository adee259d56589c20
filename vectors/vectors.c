/* placeholder */
typedef int rlab_placeholder_vectors;
