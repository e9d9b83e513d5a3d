package dev.wagoexporter.sim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What arrived on the wire: every request's unit and function code, and every attempt to write.
 * Thread-safe.
 */
final class RequestLog {
  private final AtomicLong requests = new AtomicLong();
  private final Map<Integer, LongAdder> byFunctionCode = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> byUnit = new ConcurrentHashMap<>();
  private final List<WriteAttempt> writes = new CopyOnWriteArrayList<>();

  void recordRequest(int unitId, int functionCode) {
    requests.incrementAndGet();
    byFunctionCode.computeIfAbsent(functionCode, fc -> new LongAdder()).increment();
    byUnit.computeIfAbsent(unitId, u -> new LongAdder()).increment();
  }

  void recordWrite(WriteAttempt attempt) {
    writes.add(attempt);
  }

  long requestCount() {
    return requests.get();
  }

  long requestCount(int unitId) {
    LongAdder n = byUnit.get(unitId);
    return n == null ? 0 : n.sum();
  }

  Map<Integer, Long> functionCodeCounts() {
    Map<Integer, Long> counts = new TreeMap<>();
    byFunctionCode.forEach((fc, n) -> counts.put(fc, n.sum()));
    return counts;
  }

  List<WriteAttempt> writeAttempts() {
    return List.copyOf(writes);
  }

  List<WriteAttempt> writesTo(int unitId) {
    return writes.stream().filter(w -> w.unitId() == unitId).toList();
  }
}
