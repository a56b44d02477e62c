# A small image of mailauth, run as a user without privileges:
#
#   docker build -t mailauth .
#   docker run --rm mailauth check example.jp
#   docker run --rm -v "$PWD/zones:/zones:ro" mailauth check example.jp --zone /zones
#
# The working directory is /work: mount a directory there to read mailauth.toml or write
# reports (-o /work/report.sarif).
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
RUN useradd --create-home --uid 10001 mailauth
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER mailauth
WORKDIR /work
ENTRYPOINT ["mailauth"]
CMD ["--help"]
