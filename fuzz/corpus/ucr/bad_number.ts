@classLabel true 1 2
@data
1,oops,3:1
