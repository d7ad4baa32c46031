"""The app's screens: Ask (home), Reader, Library, Help, and the error dialog."""
