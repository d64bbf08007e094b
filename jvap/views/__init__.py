"""The JVAP pages: `upload` for focal points and contributors (nothing public), `public` for
the published database."""
