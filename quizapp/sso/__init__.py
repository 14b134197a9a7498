"""Directory sign-in adapters (issue 19): each turns one protocol's answer into the
`DirectoryProfile` that services/directory_sign_in.py signs in."""
