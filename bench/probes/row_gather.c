/* The random-row ceiling of a shuffled SGD epoch, outside .NET: sums the 100 000 rows of an n x P double matrix
 * (uniform values, 64-byte aligned) once in storage order and once in a shuffled order, the latter with software
 * prefetches of the row D rows ahead (D = 0, 4, 8, 16, 32, 64), optionally on 2 MiB pages (madvise; the process
 * prints how much of it the kernel really backed with huge pages). Each setting is timed 15 times, interleaved, and
 * the median and best are printed with the GB/s of X they amount to. A shuffled epoch reads exactly these rows in
 * such an order, so no SGD kernel can stream X faster than the "shuffled" lines here on the same machine; compare
 * them with SgdBenchmarks' RowGather (the same loop in C#) and with the read-bandwidth probe.
 *
 * Build and run (gcc, x86-64 with AVX2):
 *   gcc -O2 -mavx2 -o /tmp/row_gather bench/probes/row_gather.c && /tmp/row_gather 64 0 && /tmp/row_gather 64 1
 * Arguments: P (a multiple of 16, default 64), huge pages (0 or 1, default 0).
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { Rows = 100000, Repeats = 15, Settings = 7 };

static double milliseconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sums every row of x, visiting row order[k] at step k (order == NULL: storage order), each row requested `ahead`
 * rows before it is read (0: no software prefetch). */
static double sum_rows(const double *x, int p, const int *order, int ahead)
{
    __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
    for (int k = 0; k < Rows; k++) {
        if (ahead > 0 && k + ahead < Rows) {
            const char *next = (const char *)(x + (size_t)order[k + ahead] * p);
            for (int o = 0; o < p * 8; o += 64)
                _mm_prefetch(next + o, _MM_HINT_T0);
        }
        const double *row = x + (size_t)(order ? order[k] : k) * p;
        for (int j = 0; j < p; j += 16) {
            s0 = _mm256_add_pd(s0, _mm256_load_pd(row + j));
            s1 = _mm256_add_pd(s1, _mm256_load_pd(row + j + 4));
            s2 = _mm256_add_pd(s2, _mm256_load_pd(row + j + 8));
            s3 = _mm256_add_pd(s3, _mm256_load_pd(row + j + 12));
        }
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, _mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)));
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

int main(int argc, char **argv)
{
    int p = argc > 1 ? atoi(argv[1]) : 64, huge = argc > 2 ? atoi(argv[2]) : 0;
    if (p < 16 || p % 16 != 0) {
        fprintf(stderr, "P must be a positive multiple of 16\n");
        return 2;
    }
    size_t bytes = (size_t)Rows * p * 8, mapped = (bytes + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
    double *x = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int *order = malloc(sizeof(int) * Rows);
    if (x == MAP_FAILED || !order) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    if (huge)
        madvise(x, mapped, MADV_HUGEPAGE);
    srand(31);
    for (size_t i = 0; i < (size_t)Rows * p; i++)
        x[i] = 2.0 * rand() / RAND_MAX - 1.0;
    for (int i = 0; i < Rows; i++)
        order[i] = i;
    for (int i = Rows - 1; i > 0; i--) { /* Fisher-Yates */
        int j = rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }

    FILE *smaps = fopen("/proc/self/smaps_rollup", "r");
    if (smaps) {
        char line[256];
        while (fgets(line, sizeof line, smaps))
            if (strstr(line, "AnonHugePages"))
                printf("this process: %s", line);
        fclose(smaps);
    }

    static const int ahead[Settings] = {-1, 0, 4, 8, 16, 32, 64}; /* -1: storage order */
    double times[Settings][Repeats], checksum = 0;
    for (int r = 0; r < Repeats; r++)
        for (int s = 0; s < Settings; s++) {
            double t0 = milliseconds();
            checksum += sum_rows(x, p, ahead[s] < 0 ? NULL : order, ahead[s] < 0 ? 0 : ahead[s]);
            times[s][r] = milliseconds() - t0;
        }
    for (int s = 0; s < Settings; s++) {
        qsort(times[s], Repeats, sizeof(double), by_value);
        double median = times[s][Repeats / 2], best = times[s][0];
        printf("P=%d huge=%d %-10s ahead=%2d: median %7.2f ms (%5.1f GB/s), best %7.2f ms (%5.1f GB/s)\n", p, huge,
               ahead[s] < 0 ? "storage" : "shuffled", ahead[s] < 0 ? 0 : ahead[s], median, bytes / median / 1e6,
               best, bytes / best / 1e6);
    }
    printf("(checksum %.6g)\n", checksum);
    return 0;
}
