package org.twitchtriage.fhir.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The servlet response HAPI writes its answers to, with every flush held until the response ends.
 *
 * <p>HAPI's JSON writer flushes its writer after each string value it writes. Passed through to the servlet
 * container, every one of those flushes sends what has been written so far as a chunk of its own: forty-odd
 * socket writes for one QuestionnaireResponse, each with its chunk header, for the client to read one by
 * one. Held back, the body goes out when the container's buffer is full or the response ends, as one write
 * with a Content-Length when it fits in the buffer. Nothing the module answers on /fhir needs to reach the
 * client before the rest of the answer is written.
 */
final class FlushAtEndResponse extends HttpServletResponseWrapper {

    private PrintWriter writer;
    private ServletOutputStream stream;

    FlushAtEndResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(super.getWriter(), false) {
                @Override
                public void flush() {
                    // held until the response ends
                }
            };
        }
        return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new HeldFlushStream(super.getOutputStream());
        }
        return stream;
    }

    private static final class HeldFlushStream extends ServletOutputStream {

        private final ServletOutputStream delegate;

        HeldFlushStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            delegate.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            // held until the response ends
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }
}
