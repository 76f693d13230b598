"""Living-lab projects (see the projects issue); the app is installed from the start."""
