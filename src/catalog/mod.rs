//! Static knowledge about the Dockerfile language: instructions, flags, directives, ARGs.
