/*
 * A stand-alone main for the fuzz targets, for builds without libFuzzer:
 * runs LLVMFuzzerTestOneInput once over every regular file of each
 * directory (or file) named on the command line, in name order.  Exits 0
 * when every input ran (a failing input aborts inside the target), 1 on an
 * unreadable argument, and 1 when no input was found at all, so that an
 * empty or misplaced corpus cannot pass as a regression run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *p = malloc(cap);
    while (p != NULL) {
        len += fread(p + len, 1, cap - len, fp);
        if (len < cap)
            break;
        uint8_t *np = realloc(p, cap * 2);
        if (np == NULL)
            free(p);
        p = np;
        cap *= 2;
    }
    int bad = p == NULL || ferror(fp);
    fclose(fp);
    if (bad) {
        fprintf(stderr, "%s: read error\n", path);
        free(p);
        return -1;
    }
    /* An exact-size copy, so that ASan sees a read past the input. */
    uint8_t *exact = malloc(len != 0 ? len : 1);
    if (exact == NULL) {
        free(p);
        return -1;
    }
    memcpy(exact, p, len);
    free(p);
    fprintf(stderr, "  %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir, size_t *count)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) {
        perror(dir);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        int w = snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (rc == 0 && w > 0 && (size_t)w < sizeof path && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode)) {
            if (run_file(path) != 0)
                rc = -1;
            else
                (*count)++;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        int rc;
        if (S_ISDIR(st.st_mode)) {
            rc = run_dir(argv[i], &count);
        } else {
            rc = run_file(argv[i]);
            count += rc == 0;
        }
        if (rc != 0)
            return 1;
    }
    if (count == 0) {
        fprintf(stderr, "no input files\n");
        return 1;
    }
    fprintf(stderr, "%zu inputs ran\n", count);
    return 0;
}
