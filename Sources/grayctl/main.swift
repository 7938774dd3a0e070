print("grayctl")
