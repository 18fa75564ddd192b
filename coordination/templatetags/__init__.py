"""Template tags shared by every app's templates."""
