package dev.wagoexporter.sim;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What happens to the reply to one request on its way out.
 *
 * @param fault the fault armed for this request, if any
 * @param holdBack how long after it is ready the reply leaves (line time, turnaround, injected
 *     delay)
 */
record ReplyPlan(@Nullable Fault fault, Duration holdBack) {}
