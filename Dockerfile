# The harness as an image: the reference client over ccdp/1 by default (serve-client), and the
# simulated world (env up) with another command. Built FROM scratch, so no image registry is needed:
# scripts/build-image.sh prepares the context (rootfs/: this machine's Node 24, the libraries it
# links, the harness and its production dependencies) and runs `docker build` on it.
FROM scratch
COPY rootfs/ /
WORKDIR /app
ENV NODE_ENV=production HOME=/tmp
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/node", "bin/connector-conformance.js"]
# Host networking is assumed: the client listens on 127.0.0.1 and reaches the simulated world there.
CMD ["serve-client", "--platform", "windows", "--client-version", "4.7", "--port", "8700"]
