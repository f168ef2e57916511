"""Singer tap for the Stepik and Hyperskill REST APIs."""
