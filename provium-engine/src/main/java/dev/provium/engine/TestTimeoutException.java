package dev.provium.engine;

/**
 * A test ran past its time limit. Not an assertion failure: Surefire reports it as an {@code <error>}. The
 * message names the limit and carries the console tail of the file's guests.
 */
final class TestTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TestTimeoutException(String message) {
        super(message);
        setStackTrace(new StackTraceElement[0]);
    }
}
