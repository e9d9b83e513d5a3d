package dev.wagoexporter.sim;

import java.time.Duration;
import java.util.Optional;

/**
 * What a test may do to the simulated line: the faults the wire applies to the next requests. It
 * exists so tests can break the line ({@code FaultInjector} in the tests arms it); the users'
 * {@code simulate} and {@code demo} always run with {@link #NONE}.
 */
public interface LineFaults {
  /** A line that never misbehaves. */
  LineFaults NONE =
      new LineFaults() {
        @Override
        public Optional<Fault> takeNext() {
          return Optional.empty();
        }

        @Override
        public int exceptionCode() {
          return 0x04;
        }

        @Override
        public Duration delay() {
          return Duration.ZERO;
        }

        @Override
        public String toString() {
          return "no faults";
        }
      };

  /** Uses up the fault for one request to a served unit id, if any is armed. */
  Optional<Fault> takeNext();

  /** The exception code of a {@link Fault#EXCEPTION} reply. */
  int exceptionCode();

  /** How late a {@link Fault#DELAY} reply goes out. */
  Duration delay();
}
