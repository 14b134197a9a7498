from quizapp.trainee import routes_practice as routes_practice  # registers the discard routes
