package dev.wagoexporter.sim;

import java.time.Duration;

/**
 * What happens to the reply to one request on its way out.
 *
 * @param fault the fault armed for this request, or {@code null}
 * @param holdBack how long after it is ready the reply leaves (line time, turnaround, injected
 *     delay)
 */
record ReplyPlan(Fault fault, Duration holdBack) {}
