print("newsbot")
