app_name = "dumas"

urlpatterns = []
