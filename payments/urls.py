# Under /dashboard/, namespace "dashboard".
dashboard_patterns = [
    # payment accounts (seller views)
]
