app_name = "socialmedia"

urlpatterns = []
