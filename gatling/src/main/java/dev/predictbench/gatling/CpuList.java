package dev.predictbench.gatling;

/** A {@code taskset -c} CPU list ("1", "0-3", "1,3,5-6"). */
final class CpuList {
    private CpuList() {
    }

    /** How many CPUs the list names. */
    static int size(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            if (dash < 0) {
                Integer.parseInt(p);
                n++;
            } else {
                int from = Integer.parseInt(p.substring(0, dash).trim());
                int to = Integer.parseInt(p.substring(dash + 1).trim());
                if (to < from) {
                    throw new IllegalArgumentException("bad CPU range '" + p + "'");
                }
                n += to - from + 1;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("empty CPU list");
        }
        return n;
    }
}
